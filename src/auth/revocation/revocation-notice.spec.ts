import { type RevocationNotice, decodeNotice, encodeNotice } from './revocation-notice.js';

describe('revocation notices', () => {
  it.each<RevocationNotice>([
    { kind: 'sessions', sessionIds: ['s-1', 's-2'], at: 1 },
    {
      kind: 'account',
      userId: 'u-1',
      role: 'customer',
      status: 'disabled',
      signedOutAt: 5,
      at: 6,
    },
    { kind: 'account', userId: 'u-1', role: null, status: 'deleted', signedOutAt: null, at: 6 },
  ])('round-trip: %j', (notice) => {
    expect(decodeNotice(encodeNotice(notice))).toEqual(notice);
  });

  it.each([
    ['not JSON', '{'],
    ['null', 'null'],
    ['an unknown kind', '{"kind":"x","at":1}'],
    ['no time', '{"kind":"sessions","sessionIds":[]}'],
    ['ids that are not strings', '{"kind":"sessions","sessionIds":[1],"at":1}'],
    [
      'an unknown role',
      '{"kind":"account","userId":"u","role":"root","status":"active","signedOutAt":null,"at":1}',
    ],
    [
      'an unknown status',
      '{"kind":"account","userId":"u","role":"admin","status":"gone","signedOutAt":null,"at":1}',
    ],
  ])('ignores a payload that is %s', (_, payload) => {
    expect(decodeNotice(payload)).toBeUndefined();
  });
});
