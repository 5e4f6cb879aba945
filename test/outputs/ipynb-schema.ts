/** The nbformat 4.5 JSON schema (test/fixtures/nbformat, vendored from Debian python3-nbformat)
 *  as a validator, for every test that writes an .ipynb. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';

const SCHEMA = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'nbformat', 'nbformat.v4.5.schema.json'), 'utf8'),
);
export const validateIpynb = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

/** Asserts a notebook object is valid nbformat 4.5. */
export function assertValidIpynb(nb: unknown): void {
  const ok = validateIpynb(nb);
  assert.ok(ok, JSON.stringify(validateIpynb.errors?.slice(0, 5), null, 1));
}
