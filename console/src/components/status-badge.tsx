/** A status in words, coloured by how it stands; the colour only repeats what the word says. */
const TONES: Record<string, 'good' | 'bad' | 'waiting' | 'neutral'> = {
  COMPLETED: 'good',
  CONFIRMED: 'good',
  PENDING: 'waiting',
  REJECTED: 'bad',
  ROLLED_BACK: 'bad',
  CANCELLED: 'bad',
  up: 'good',
  closed: 'good',
  disabled: 'neutral',
  degraded: 'waiting',
  'half-open': 'waiting',
  open: 'bad',
  down: 'bad',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'neutral'}`}>{status.replace('_', ' ')}</span>;
}
