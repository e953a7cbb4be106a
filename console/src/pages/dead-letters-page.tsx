import { useState } from 'react';
import { getJson, query, sendJson } from '../api';
import { LiveStatus } from '../components/live-status';
import { dateTime, time } from '../format';
import { usePolling } from '../polling';

const EVERY_SECONDS = 5;

interface DeadLetter {
  id: string;
  messageId: string;
  type: string;
  version: number;
  consumers: string[];
  error: string;
  attempts: number;
  source: string;
  /** As the API shows it: fields named like secrets read [redacted]. */
  envelope: Record<string, unknown>;
  createdAt: string;
  replayedAt: string | null;
}

/** Only a message can be delivered again: not a failed e-mail or SMS (its context resends it), nor a record that never decoded. */
function whyNotReplayable(letter: DeadLetter): string | undefined {
  if ('delivery' in letter.envelope) return `A failed ${letter.source} delivery, not a message: it is resent from where it failed.`;
  if ('undecodable' in letter.envelope) return 'Never decoded, so there is no message to deliver again.';
  return undefined;
}

/** Messages that failed every attempt: why, what they carried, and a replay for each. */
export function DeadLettersPage() {
  const [includeReplayed, setIncludeReplayed] = useState(false);
  const [live, setLive] = useState(true);
  const [busy, setBusy] = useState<string>();
  const [outcome, setOutcome] = useState<{ text: string; failed: boolean }>();
  const path = `/api/v1/admin/dead-letters${query({ includeReplayed: includeReplayed || undefined, limit: 100 })}`;
  const { data, error, updatedAt, refresh } = usePolling(() => getJson<DeadLetter[]>(path), EVERY_SECONDS * 1000, path, live);

  const replay = async (letter: DeadLetter): Promise<void> => {
    setBusy(letter.id);
    try {
      const replayed = await sendJson<DeadLetter>('POST', `/api/v1/admin/dead-letters/${letter.id}/replay`);
      setOutcome({ text: `Replayed ${replayed.type} (message ${replayed.messageId}) at ${time(new Date(replayed.replayedAt!))}.`, failed: false });
      refresh();
    } catch (caught) {
      setOutcome({ text: `Replay of ${letter.type} refused: ${(caught as Error).message}`, failed: true });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      <h1>Dead letters</h1>
      <p className="muted">
        Messages every delivery attempt failed. A replay puts the message back in the outbox with its own id: consumers that handled it
        before skip it, the ones that failed get it again.
      </p>
      <div className="filters">
        <label className="checkbox">
          <input type="checkbox" checked={includeReplayed} onChange={(event) => setIncludeReplayed(event.target.checked)} />
          Show replayed letters too
        </label>
      </div>
      <LiveStatus updatedAt={updatedAt} error={error} live={live} onLiveChange={setLive} everySeconds={EVERY_SECONDS} />
      <p role="status" className={outcome?.failed ? 'error' : 'success'}>
        {outcome?.text}
      </p>
      {data && data.length === 0 && <p>{includeReplayed ? 'No dead letters.' : 'No dead letters waiting for a replay.'}</p>}
      <ul className="cards">
        {data?.map((letter) => {
          const notReplayable = whyNotReplayable(letter);
          const heading = `${letter.type}@${letter.version}`;
          return (
            <li key={letter.id} className="card" data-dead-letter-id={letter.id} aria-labelledby={`letter-${letter.id}`}>
              <h2 id={`letter-${letter.id}`} className="mono">
                {heading}
              </h2>
              <dl className="facts">
                <div>
                  <dt>Reason</dt>
                  <dd className="error-text">{letter.error}</dd>
                </div>
                {typeof letter.envelope.aggregateId === 'string' && (
                  <div>
                    <dt>Aggregate (order, product…)</dt>
                    <dd className="mono">{letter.envelope.aggregateId}</dd>
                  </div>
                )}
                <div>
                  <dt>Consumers that failed</dt>
                  <dd className="mono">{letter.consumers.join(', ') || '—'}</dd>
                </div>
                <div>
                  <dt>Attempts</dt>
                  <dd>{letter.attempts}</dd>
                </div>
                <div>
                  <dt>Source</dt>
                  <dd>{letter.source}</dd>
                </div>
                <div>
                  <dt>Dead since</dt>
                  <dd>{dateTime(letter.createdAt)}</dd>
                </div>
                <div>
                  <dt>Replayed</dt>
                  <dd className="replayed">{letter.replayedAt ? `Replayed at ${dateTime(letter.replayedAt)}` : 'Not yet'}</dd>
                </div>
              </dl>
              <details>
                <summary>Envelope and payload (secrets redacted)</summary>
                <pre>{JSON.stringify(letter.envelope, null, 2)}</pre>
              </details>
              {notReplayable ? (
                <p className="muted">{notReplayable}</p>
              ) : (
                <button
                  type="button"
                  disabled={letter.replayedAt !== null || busy !== undefined}
                  aria-describedby={`letter-${letter.id}`}
                  onClick={() => void replay(letter)}
                >
                  {busy === letter.id ? 'Replaying…' : 'Replay'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
