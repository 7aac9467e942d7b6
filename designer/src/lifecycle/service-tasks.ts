/** The service tasks of a diagram (id and name), whose results the admin may set for the dry run. */
export function serviceTasks(xml: string): Array<{ id: string; name: string | null }> {
  const out: Array<{ id: string; name: string | null }> = [];
  for (const m of xml.matchAll(/<bpmn:serviceTask\b([^>]*)>/g)) {
    const id = /\bid="([^"]+)"/.exec(m[1])?.[1];
    if (id) out.push({ id, name: /\bname="([^"]*)"/.exec(m[1])?.[1] ?? null });
  }
  return out;
}
