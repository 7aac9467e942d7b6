/** Mainland China mobile number: 11 digits, 1 then 3-9 (13x … 19x number segments). No +86 prefix or separators. */
export function isCnMobile(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value);
}

/** Mainland China postal code (邮政编码): 6 digits. */
export function isCnPostcode(value: string): boolean {
  return /^\d{6}$/.test(value);
}
