import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  addMinflowFormats,
  ageOnDate,
  birthDateFromResidentId,
  formatErrorMessage,
  genderFromResidentId,
  isCnMobile,
  isCnPostcode,
  isResidentId,
  isUscc,
  residentIdProblem,
  usccProblem,
} from './index.js';

// Independent implementations of the two standards' check characters, written from the
// standards' text rather than copied from the code under test.

/** GB 11643 / ISO 7064 MOD 11-2: weight of position i (1-based, from the left) is 2^(18-i) mod 11. */
function gb11643Check(first17: string): string {
  let sum = 0;
  for (let i = 1; i <= 17; i++) sum += Number(first17[i - 1]) * (2 ** (18 - i) % 11);
  const r = (12 - (sum % 11)) % 11;
  return r === 10 ? 'X' : String(r);
}

/** GB 32100: weights 3^(i-1) mod 31, check = 31 - (sum mod 31), with 31 meaning 0. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function gb32100Check(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * (3 ** i % 31);
  const c = 31 - (sum % 31);
  return USCC_CHARS[c === 31 ? 0 : c];
}

const id = (region: string, birth: string, seq: string) => {
  const body = region + birth + seq;
  return body + gb11643Check(body);
};
/** Any number with a different, wrong check character. */
const withWrongCheck = (valid: string) => valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1');

// 620402 is 白银市白银区; 620421 is 靖远县.
const grandpa = id('620402', '19400315', '123'); // born 15 March 1940, odd sequence: a man
const grandma = id('620421', '19360229', '246'); // born on a 29 February, even: a woman

describe('cn-resident-id', () => {
  it('accepts numbers whose MOD 11-2 check character matches, including X', () => {
    expect(isResidentId(grandpa)).toBe(true);
    expect(isResidentId(grandma)).toBe(true);
    // Find a sequence code whose check character is X, to cover that case.
    let withX = '';
    for (let s = 0; s < 1000 && !withX; s++) {
      const candidate = id('620403', '19580101', String(s).padStart(3, '0'));
      if (candidate.endsWith('X')) withX = candidate;
    }
    expect(withX).toMatch(/X$/);
    expect(isResidentId(withX)).toBe(true);
    // Lower-case x is not the standard form.
    expect(isResidentId(withX.replace('X', 'x'))).toBe(false);
  });

  it('names the reason a number is refused', () => {
    expect(residentIdProblem(withWrongCheck(grandpa))).toBe('checkDigit');
    expect(residentIdProblem(grandpa.slice(0, 17))).toBe('shape');
    expect(residentIdProblem(`${grandpa}1`)).toBe('shape');
    expect(residentIdProblem('62040219400315123')).toBe('shape');
    // Province 99 does not exist; 620000 is the province itself, never a registration place.
    expect(residentIdProblem(id('990402', '19400315', '123'))).toBe('region');
    expect(residentIdProblem(id('620000', '19400315', '123'))).toBe('region');
    // 30 February, month 13, and a birth date tomorrow.
    expect(residentIdProblem(id('620402', '19400230', '123'))).toBe('birthDate');
    expect(residentIdProblem(id('620402', '19401301', '123'))).toBe('birthDate');
    expect(residentIdProblem(id('620402', '19370229', '123'))).toBe('birthDate'); // 1937 is not a leap year
    expect(residentIdProblem(id('620402', '20260316', '123'), '2026-03-15')).toBe('birthDate');
    expect(residentIdProblem(id('620402', '20260315', '123'), '2026-03-15')).toBeNull();
  });

  it('accepts Hong Kong, Macao and Taiwan residence permits (810000/820000/830000)', () => {
    expect(isResidentId(id('810000', '19900101', '001'))).toBe(true);
    expect(isResidentId(id('810100', '19900101', '001'))).toBe(false);
  });

  it('derives birth date, gender and age', () => {
    expect(birthDateFromResidentId(grandpa)).toBe('1940-03-15');
    expect(genderFromResidentId(grandpa)).toBe('male');
    expect(genderFromResidentId(grandma)).toBe('female');
    expect(birthDateFromResidentId(withWrongCheck(grandpa))).toBeNull();
    expect(genderFromResidentId(withWrongCheck(grandpa))).toBeNull();

    expect(ageOnDate('1940-03-15', '2020-03-14')).toBe(79);
    expect(ageOnDate('1940-03-15', '2020-03-15')).toBe(80);
    // Born on 29 February: a year older on 1 March in common years.
    expect(ageOnDate('1936-02-29', '2016-02-28')).toBe(79);
    expect(ageOnDate('1936-02-29', '2017-02-28')).toBe(80);
    expect(ageOnDate('1936-02-29', '2017-03-01')).toBe(81);
    expect(ageOnDate('1940-03-15', '1939-01-01')).toBeNull();
    expect(ageOnDate('1940-02-30', '2020-01-01')).toBeNull();
  });

  it('reads a Date as the calendar date in China (UTC+8)', () => {
    // 16:30 UTC on 14 March is already 00:30 on 15 March in Beijing: the 80th birthday.
    expect(ageOnDate('1940-03-15', new Date('2020-03-14T16:30:00Z'))).toBe(80);
    expect(ageOnDate('1940-03-15', new Date('2020-03-14T15:30:00Z'))).toBe(79);
  });
});

describe('cn-mobile and cn-postcode', () => {
  it('accepts 11-digit numbers starting 13-19 and 6-digit postcodes only', () => {
    for (const ok of ['13800138000', '19912345678', '16612345678']) expect(isCnMobile(ok)).toBe(true);
    for (const bad of ['12800138000', '1380013800', '138001380000', '+8613800138000', '138-0013-8000', '1380013800a'])
      expect(isCnMobile(bad)).toBe(false);
    expect(isCnPostcode('730900')).toBe(true); // 白银
    for (const bad of ['73090', '7309000', '73090a', ' 730900']) expect(isCnPostcode(bad)).toBe(false);
  });
});

describe('cn-uscc', () => {
  // 5 民政 (registration authority), 3 社会团体... type code, 620402 region, then a 9-char organisation code.
  const socialOrg = (() => {
    const body = '53620402MJ0000001'.slice(0, 17);
    return body + gb32100Check(body);
  })();
  const company = (() => {
    const body = '91620400MA74LQ2Y0';
    return body + gb32100Check(body);
  })();

  it('accepts codes whose GB 32100 check character matches', () => {
    expect(isUscc(socialOrg)).toBe(true);
    expect(isUscc(company)).toBe(true);
  });

  it('refuses wrong check characters, forbidden letters and bad lengths', () => {
    const wrong = company.slice(0, 17) + (company[17] === '0' ? '1' : '0');
    expect(usccProblem(wrong)).toBe('checkDigit');
    expect(usccProblem(company.slice(0, 17))).toBe('shape');
    // I, O, S, V and Z are not in the charset; lower case is not accepted.
    const withO = `91620400MA74LQ2O0`;
    expect(usccProblem(withO + gb32100Check(withO.replace('O', '0')))).toBe('shape');
    expect(usccProblem(company.toLowerCase())).toBe('shape');
    // B is not a registration authority.
    const b = 'B1620400MA74LQ2Y0';
    expect(usccProblem(b + gb32100Check(b))).toBe('shape');
  });
});

describe('addMinflowFormats', () => {
  const schema = {
    type: 'object',
    properties: {
      idNumber: { type: 'string', format: 'cn-resident-id' },
      phone: { type: 'string', format: 'cn-mobile' },
      postcode: { type: 'string', format: 'cn-postcode' },
      uscc: { type: 'string', format: 'cn-uscc' },
    },
  };

  for (const [name, AjvClass] of [
    ['draft-07', Ajv],
    ['2020-12', Ajv2020],
  ] as const) {
    it(`registers the formats on ajv (${name}) in strict mode`, () => {
      const ajv = addMinflowFormats(new AjvClass({ strict: true, allErrors: true }));
      const validate = ajv.compile(schema);
      expect(validate({ idNumber: grandpa, phone: '13800138000', postcode: '730900' })).toBe(true);
      expect(validate({ idNumber: withWrongCheck(grandpa), phone: '1380013800', postcode: '7309' })).toBe(false);
      expect(validate.errors?.map((e) => [e.instancePath, e.params.format])).toEqual([
        ['/idNumber', 'cn-resident-id'],
        ['/phone', 'cn-mobile'],
        ['/postcode', 'cn-postcode'],
      ]);
    });
  }

  it('gives a specific message per reason, in zh-CN and en', () => {
    expect(formatErrorMessage('cn-resident-id', 'zh-CN', withWrongCheck(grandpa))).toBe('身份证号码校验位不正确');
    expect(formatErrorMessage('cn-resident-id', 'en', withWrongCheck(grandpa))).toBe('has a wrong check digit');
    expect(formatErrorMessage('cn-resident-id', 'zh-CN', id('620402', '19400230', '123'))).toBe(
      '身份证号码中的出生日期无效',
    );
    expect(formatErrorMessage('cn-resident-id', 'zh-CN')).toBe('身份证号码不正确');
    expect(formatErrorMessage('cn-mobile', 'zh-CN', '123')).toBe('手机号码应为11位数字，以1开头');
    expect(formatErrorMessage('email', 'zh-CN', 'x')).toBeNull();
  });
});
