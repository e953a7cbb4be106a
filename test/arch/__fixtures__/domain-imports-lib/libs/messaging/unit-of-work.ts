export class UnitOfWork {
  run<T>(work: () => T): T {
    return work();
  }
}
