import { isPermanentSmtpFailure } from './smtp-notification.sender';

describe(isPermanentSmtpFailure.name, () => {
  it.each([
    [{ responseCode: 550, code: 'EENVELOPE' }, true],
    [{ responseCode: 554, code: 'EMESSAGE' }, true],
    [{ responseCode: 503, code: 'EENVELOPE' }, false],
    [{ responseCode: 421, code: 'EENVELOPE' }, false],
    [{ responseCode: 451, code: 'EMESSAGE' }, false],
    [{ code: 'ECONNECTION' }, false],
    [{ code: 'ETIMEDOUT' }, false],
    [{ code: 'ESOCKET' }, false],
    [{ code: 'EENVELOPE' }, true],
  ])('%j is permanent: %s', (error, permanent) => {
    expect(isPermanentSmtpFailure(error)).toBe(permanent);
  });
});
