import { reactive } from 'vue'
import { ApiError } from '@/api/client'

/**
 * The server's field errors of a refused form: a 422 answers {"error": {"details": {"fields": {"<field>": "<why>"}}}},
 * a field being the body's key path joined by dots ("roles.0", "items.2.name"). Keyed here by the form's
 * field (the path's first part); "body" (not a JSON object) belongs to no field.
 */
export function serverFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 422) return {}
  const fields = error.details.fields
  if (typeof fields !== 'object' || fields === null) return {}
  const out: Record<string, string> = {}
  for (const [path, why] of Object.entries(fields as Record<string, unknown>)) {
    const field = path.split('.')[0]
    if (!field || field === 'body' || typeof why !== 'string' || field in out) continue
    out[field] = why
  }
  return out
}

/**
 * Field errors for an Element Plus form: bind `:error="fieldErrors.errors.<field>"` on each el-form-item,
 * `fieldErrors.clear()` before posting, `fieldErrors.show(error)` in the catch (true when a field got one).
 */
export function useFieldErrors() {
  const errors = reactive<Record<string, string | undefined>>({})

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key]
  }

  function show(error: unknown): boolean {
    clear()
    const found = serverFieldErrors(error)
    Object.assign(errors, found)
    return Object.keys(found).length > 0
  }

  return { errors, clear, show }
}

export type FieldErrors = ReturnType<typeof useFieldErrors>
