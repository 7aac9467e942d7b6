import { ATTACHMENTS_FIELD, type AttachmentValue, markAttachmentFields } from '@minflow/sdk/attachments';
import { Card, Typography } from 'antd';
import { useMemo } from 'react';
import { AttachmentLink } from './AttachmentsField';
import { useAttachmentText } from './messages';

/** Every `{ name, url, contentType }` object in the data, in order (uploads and files recorded otherwise). */
export function attachmentsIn(data: unknown, depth = 0): AttachmentValue[] {
  if (!data || typeof data !== 'object' || depth > 16) return [];
  if (Array.isArray(data)) return data.flatMap((d) => attachmentsIn(d, depth + 1));
  const o = data as Record<string, unknown>;
  if (typeof o.name === 'string' && typeof o.url === 'string' && typeof o.contentType === 'string')
    return [o as unknown as AttachmentValue];
  return Object.values(o).flatMap((v) => attachmentsIn(v, depth + 1));
}

/** Every file the case's data refers to, with download links (case file and task page). */
export function AttachmentsCard({ data, schema }: { data: unknown; schema: unknown }) {
  const text = useAttachmentText();
  const files = useMemo(() => attachmentsIn(data), [data]);
  // Items whose form has no attachment list do not get an empty box.
  const declares = useMemo(
    () => JSON.stringify(markAttachmentFields(schema, {})).includes(ATTACHMENTS_FIELD),
    [schema],
  );
  if (files.length === 0 && !declares) return null;
  return (
    <Card title={text('listTitle')} className="mf-card" data-testid="case-attachments">
      {files.length === 0 ? (
        <Typography.Text type="secondary">{text('empty')}</Typography.Text>
      ) : (
        <ul className="mf-attach-list">
          {files.map((f) => (
            <li key={f.url} className="mf-attach-item">
              <AttachmentLink value={f} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
