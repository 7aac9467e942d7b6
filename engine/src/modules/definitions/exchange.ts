import type { DefinitionContent, DefinitionInput } from './model.js';
import { createDefinitionBody } from './schemas.js';

/**
 * One item as one JSON file, for sharing between cities and keeping in `definitions/`:
 *
 * ```json
 * { "format": "minflow.item/1", "key": "...", "version": 3 | null, "exportedAt": "...",
 *   "item": { "name": {...}, "category": "...", "description": "...", "startLevels": [...], "computed"?: [...] },
 *   "formSchema": {...}, "uiSchema": {...}, "taskForms": { "<key>": { "schema", "uiSchema" } },
 *   "bpmnXml": "<?xml ...>" }
 * ```
 *
 * `format` names the layout; a later layout gets a new number and an importer that reads the
 * older ones. `item` holds what `definitions/<key>/item.json` holds.
 */
export const ITEM_FILE_FORMAT = 'minflow.item/1';

export interface ItemFile {
  format: typeof ITEM_FILE_FORMAT;
  key: string;
  /** The published version exported, or null for the draft. */
  version: number | null;
  exportedAt: string;
  item: Pick<DefinitionContent, 'name' | 'category' | 'description' | 'startLevels' | 'computed'>;
  formSchema: DefinitionContent['formSchema'];
  uiSchema: DefinitionContent['uiSchema'];
  taskForms: DefinitionContent['taskForms'];
  bpmnXml: string;
}

export function toItemFile(input: DefinitionInput, version: number | null, exportedAt: string): ItemFile {
  return {
    format: ITEM_FILE_FORMAT,
    key: input.key,
    version,
    exportedAt,
    item: {
      name: input.name,
      category: input.category,
      description: input.description ?? '',
      startLevels: input.startLevels ?? [],
      ...(input.computed ? { computed: input.computed } : {}),
    },
    formSchema: input.formSchema,
    uiSchema: input.uiSchema ?? {},
    taskForms: Object.fromEntries(
      Object.entries(input.taskForms ?? {}).map(([k, f]) => [k, { schema: f.schema, uiSchema: f.uiSchema ?? {} }]),
    ),
    bpmnXml: input.bpmnXml,
  };
}

/** The definition an item file describes, under `key` (the file's own key unless another is asked for). */
export function fromItemFile(file: ItemFile, key: string = file.key): DefinitionInput {
  return {
    key,
    ...file.item,
    formSchema: file.formSchema,
    uiSchema: file.uiSchema ?? {},
    taskForms: file.taskForms ?? {},
    bpmnXml: file.bpmnXml,
  };
}

const p = createDefinitionBody.properties;

/** JSON Schema of an item file (the import body and the export response). */
export const itemFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'key', 'item', 'formSchema', 'bpmnXml'],
  properties: {
    format: { type: 'string', const: ITEM_FILE_FORMAT, description: 'File layout; this engine reads minflow.item/1' },
    key: p.key,
    version: { type: ['integer', 'null'], description: 'The published version exported, or null for a draft' },
    exportedAt: { type: 'string', format: 'date-time' },
    item: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'category'],
      properties: {
        name: p.name,
        category: p.category,
        description: p.description,
        startLevels: p.startLevels,
        computed: p.computed,
      },
    },
    formSchema: p.formSchema,
    uiSchema: p.uiSchema,
    taskForms: p.taskForms,
    bpmnXml: p.bpmnXml,
  },
} as const;
