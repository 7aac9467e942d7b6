import { minflowModdleDescriptor } from '@minflow/sdk';
import { BpmnModdle, type ModdleElement, type ParseResult } from 'bpmn-moddle';

/** Largest BPMN document accepted (a 500-element diagram with layout is about 300 KB). */
export const MAX_BPMN_BYTES = 2 * 1024 * 1024;

export interface BpmnProblem {
  /** The element id, or '' when the problem is with the document as a whole. */
  elementId: string;
  message: string;
}

export interface ParsedBpmn {
  definitions: ModdleElement;
  elementsById: Record<string, ModdleElement>;
  /** Unknown attributes, unresolved references and other non-fatal findings of the parser. */
  warnings: BpmnProblem[];
}

export class BpmnParseError extends Error {
  constructor(readonly problems: BpmnProblem[]) {
    super(problems.map((p) => (p.elementId ? `${p.elementId}: ${p.message}` : p.message)).join('; '));
    this.name = 'BpmnParseError';
  }
}

/** One moddle per process: it is stateless between parses and costly to build. */
let moddle: BpmnModdle | null = null;
export function getModdle(): BpmnModdle {
  moddle ??= new BpmnModdle({ minflow: minflowModdleDescriptor });
  return moddle;
}

/**
 * Parses BPMN 2.0 XML with bpmn-moddle and the minflow: extension. Refuses DOCTYPE and ENTITY
 * declarations outright (XML entity expansion attacks) and documents over MAX_BPMN_BYTES.
 * Throws BpmnParseError naming the offending element where the parser can tell.
 */
export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  if (Buffer.byteLength(xml, 'utf8') > MAX_BPMN_BYTES) {
    throw new BpmnParseError([{ elementId: '', message: `BPMN document is larger than ${MAX_BPMN_BYTES} bytes` }]);
  }
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new BpmnParseError([{ elementId: '', message: 'DOCTYPE and ENTITY declarations are not allowed' }]);
  }
  let result: ParseResult;
  try {
    result = await getModdle().fromXML(xml, 'bpmn:Definitions');
  } catch (err) {
    throw new BpmnParseError([{ elementId: '', message: `not a BPMN 2.0 document: ${(err as Error).message}` }]);
  }
  const warnings = result.warnings.map((w) => ({ elementId: w.element?.id ?? '', message: w.message }));
  return { definitions: result.rootElement, elementsById: result.elementsById, warnings };
}
