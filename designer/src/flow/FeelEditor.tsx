import BpmnFeelEditor, { type FeelDiagnostic, type FeelVariable } from '@bpmn-io/feel-editor';
import { Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';

export type { FeelVariable };

/**
 * @bpmn-io/feel-editor (CodeMirror with FEEL highlighting, autocompletion of `variables` and built-in
 * functions, syntax linting) as a React component. The text is edited in place; `onCommit` gets it when
 * the editor loses focus (one modeling command per edit, not per key). A syntax error shows under it.
 */
export function FeelEditor({
  value,
  variables,
  ariaLabel,
  placeholder,
  onChange,
  onCommit,
}: {
  value: string;
  variables: FeelVariable[];
  ariaLabel: string;
  placeholder?: string;
  onChange?(text: string): void;
  onCommit(text: string): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const editor = useRef<BpmnFeelEditor | null>(null);
  const text = useRef(value);
  const committed = useRef(value);
  const callbacks = useRef({ onChange, onCommit });
  callbacks.current = { onChange, onCommit };
  const [error, setError] = useState<FeelDiagnostic | null>(null);
  const { t } = useI18n();

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; value and variables are pushed below
  useEffect(() => {
    if (!container.current) return;
    const e = new BpmnFeelEditor({
      container: container.current,
      value,
      variables,
      placeholder,
      contentAttributes: { 'aria-label': ariaLabel, 'data-testid': 'feel-editor' },
      onChange(next) {
        text.current = next;
        callbacks.current.onChange?.(next);
      },
      onLint(diagnostics) {
        setError(diagnostics.find((d) => d.severity === 'error') ?? null);
      },
    });
    editor.current = e;
    const el = container.current;
    const onFocusOut = (event: FocusEvent) => {
      // focus moving within the editor (its completion list) is not leaving it
      if (event.relatedTarget instanceof Node && el.contains(event.relatedTarget)) return;
      if (text.current !== committed.current) {
        committed.current = text.current;
        callbacks.current.onCommit(text.current);
      }
    };
    el.addEventListener('focusout', onFocusOut);
    return () => {
      el.removeEventListener('focusout', onFocusOut);
      e._cmEditor.destroy();
      editor.current = null;
    };
  }, []);

  // a value changed from outside (a field tag inserted, undo) replaces the text
  useEffect(() => {
    if (editor.current && value !== text.current) {
      text.current = value;
      committed.current = value;
      editor.current.setValue(value);
    }
  }, [value]);

  useEffect(() => {
    editor.current?.setVariables(variables);
  }, [variables]);

  return (
    <div>
      <div
        ref={container}
        className="mf-feel-editor"
        style={{ border: '1px solid #d9d9d9', borderRadius: 6, padding: '2px 4px', minHeight: 44 }}
      />
      {error && (
        <Typography.Text type="danger" data-testid="feel-error" style={{ fontSize: 12 }}>
          {t('FEEL 语法错误（第 {at} 个字符附近）：{m}', 'FEEL syntax error (near character {at}): {m}', {
            at: error.from + 1,
            m: error.message,
          })}
        </Typography.Text>
      )}
    </div>
  );
}
