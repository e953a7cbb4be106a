import { time } from '../format';

/**
 * When a live view last loaded, its error if the last load failed, and the switch that stops and
 * restarts its updates (content that changes by itself must be possible to stop: WCAG 2.2.2).
 */
export function LiveStatus({
  updatedAt,
  error,
  live,
  onLiveChange,
  everySeconds,
}: {
  updatedAt?: Date;
  error?: Error;
  live: boolean;
  onLiveChange: (live: boolean) => void;
  everySeconds: number;
}) {
  return (
    <div className="live-status">
      <label className="checkbox">
        <input type="checkbox" checked={live} onChange={(event) => onLiveChange(event.target.checked)} />
        Update every {everySeconds} s
      </label>
      <span className="muted">{updatedAt ? `Updated ${time(updatedAt)}` : 'Loading…'}</span>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </div>
  );
}
