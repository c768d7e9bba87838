// The one Disposable owner built at activation: everything the extension creates is registered
// here, and `deactivate` awaits its async cleanup (the worker is terminated, not abandoned).
import type * as vscode from 'vscode';

type Cleanup = vscode.Disposable | { dispose(): Promise<void> | void };

export class Owner {
  private readonly items: Cleanup[] = [];
  private disposed = false;

  register<T extends Cleanup>(item: T): T {
    if (this.disposed) void item.dispose();
    else this.items.push(item);
    return item;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Disposes in reverse order of registration; one failing cleanup does not stop the others. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        await item.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length) console.error('perf-insights: cleanup errors', errors);
  }
}
