// bpmn-moddle ships element typings under `bpmn-moddle/types` but none for its main export.
declare module 'bpmn-moddle' {
  export interface ModdleElement {
    $type: string;
    $parent?: ModdleElement;
    $attrs?: Record<string, string>;
    id?: string;
    name?: string;
    // biome-ignore lint/suspicious/noExplicitAny: moddle elements are dynamic by nature.
    [property: string]: any;
  }
  export interface ParseWarning {
    message: string;
    element?: ModdleElement;
    property?: string;
    value?: unknown;
    error?: Error;
  }
  export interface ParseResult {
    rootElement: ModdleElement;
    warnings: ParseWarning[];
    references: Array<{ element: ModdleElement; property: string; id: string }>;
    elementsById: Record<string, ModdleElement>;
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: { format?: boolean; preamble?: boolean }): Promise<{ xml: string }>;
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
  }
}
