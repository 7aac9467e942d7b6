// Declarations for the untyped linting and FEEL packages, limited to what the designer uses.
declare module 'bpmnlint/rules/*' {
  const factory: (config?: unknown) => {
    check(node: unknown, reporter: { report(id: string, message: string, path?: unknown): void }): void;
  };
  export default factory;
}
declare module 'bpmn-js-bpmnlint' {
  const lintModule: Record<string, unknown>;
  export default lintModule;
}
declare module 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
declare module '@bpmn-io/feel-lint' {
  export function lintExpression(
    expression: string,
    options?: { dialect?: 'expression' | 'unaryTests' },
  ): Array<{ from: number; to: number; message: string; severity: string; type?: string }>;
}
declare module '@bpmn-io/feel-editor' {
  export interface FeelVariable {
    name: string;
    detail?: string;
    info?: string;
    entries?: FeelVariable[];
  }
  export interface FeelDiagnostic {
    from: number;
    to: number;
    message: string;
    severity: string;
  }
  export default class FeelEditor {
    constructor(config: {
      container: HTMLElement;
      value?: string;
      dialect?: 'expression' | 'unaryTests';
      variables?: FeelVariable[];
      contentAttributes?: Record<string, string>;
      placeholder?: string;
      tooltipContainer?: HTMLElement | string;
      onChange?(value: string): void;
      onLint?(diagnostics: FeelDiagnostic[]): void;
    });
    setValue(value: string): void;
    setVariables(variables: FeelVariable[]): void;
    focus(position?: number): void;
    _cmEditor: { destroy(): void; state: { doc: { toString(): string } } };
  }
}
declare module '@bpmn-io/properties-panel/assets/properties-panel.css';
declare module '@bpmn-io/properties-panel' {
  // entry components and the group, rendered with preact's `h` (props as the library documents them)
  // biome-ignore lint/suspicious/noExplicitAny: the library is untyped JavaScript
  type Component = import('@bpmn-io/properties-panel/preact').FunctionComponent<any>;
  export const CheckboxEntry: Component;
  export const FeelEntry: Component;
  export const Group: Component;
  export const SelectEntry: Component;
  export const TextFieldEntry: Component;
  export function isCheckboxEntryEdited(node: unknown): boolean;
  export function isFeelEntryEdited(node: unknown): boolean;
  export function isSelectEntryEdited(node: unknown): boolean;
  export function isTextFieldEntryEdited(node: unknown): boolean;
}
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  export function useService(name: string, strict?: boolean): unknown;
}
