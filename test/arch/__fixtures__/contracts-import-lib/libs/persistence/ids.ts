let next = 0;

export function newId(): string {
  next += 1;
  return `id-${next}`;
}
