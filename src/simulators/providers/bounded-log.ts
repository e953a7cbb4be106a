/**
 * Records kept in the order they came, the oldest dropped past a cap: what a simulator that runs
 * for days under load may hold for tests to read (messages sent, webhook events) without growing.
 */
export class BoundedLog<T> {
  private readonly items = new Map<string, T>();

  constructor(private readonly cap: number) {}

  add(id: string, item: T): void {
    this.items.set(id, item);
    if (this.items.size > this.cap) this.items.delete(this.items.keys().next().value!);
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  values(): T[] {
    return [...this.items.values()];
  }

  clear(): void {
    this.items.clear();
  }
}
