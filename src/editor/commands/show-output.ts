// "Show Output": the extension's log channel.
import type { EditorServices } from '../services';

export function showOutput(s: EditorServices): void {
  s.log.show(true);
}
