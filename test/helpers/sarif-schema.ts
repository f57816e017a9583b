// A validator for the official SARIF 2.1.0 schema (the OASIS file in test/data/sarif, see the
// README there), shared by the SARIF writer's unit tests and the detect fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

// ajv-formats is CommonJS: seen from ESM, its default export is the module object, whose
// `default` is the plugin.
type AddFormats = typeof formatsModule.default;
const addFormats: AddFormats =
  (formatsModule as unknown as { default?: AddFormats }).default ?? (formatsModule as unknown as AddFormats);

// The OASIS file is draft-04 (`id`); Ajv 8 speaks draft-07, where the only keyword of this schema
// that changed is the top-level `id` → `$id` (no boolean exclusiveMinimum/Maximum in it).
export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'data', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'),
  ) as Record<string, unknown>;
  const { id, $schema: _draft04, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: id as string, $schema: 'http://json-schema.org/draft-07/schema#' });
}
