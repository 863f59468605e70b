// The hidden marker of the checklist comment, in a module of its own so the action can recognise
// an event about a checklist comment without loading the template machinery.

/** Hidden first line that identifies the checklist comment (together with its recorded id and author). */
export const CHECKLIST_MARKER = '<!-- safe-deploy:review-checklist -->';

/** True when the body carries the checklist marker (a first filter; the recorded id and the author decide). */
export function hasChecklistMarker(body: string | null | undefined): boolean {
  return (body ?? '').includes(CHECKLIST_MARKER);
}
