/** A column: its heading, right-aligned as its numbers are, or read to screen readers only. */
export type Column = string | { label: string; numeric?: boolean; visuallyHidden?: boolean };

export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const { label, numeric = false, visuallyHidden = false } = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={label} scope="col" className={numeric ? 'number' : undefined}>
              {visuallyHidden ? <span className="visually-hidden">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
