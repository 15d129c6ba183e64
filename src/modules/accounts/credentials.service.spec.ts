import { jest } from '@jest/globals';
import type { User } from './user.entity.js';
import type { AccountsService } from './accounts.service.js';
import type { AccessTokens } from '../../auth/access-tokens.js';
import { WeakPassword } from '../../auth/auth.errors.js';
import { AccountDisabled, InvalidCredentials } from './account.errors.js';
import type { SessionsService } from './sessions/sessions.service.js';
import { CredentialsService } from './credentials.service.js';
import { PasswordHasher } from '../../auth/password-hasher.js';

const hasher = new PasswordHasher({ N: 1024, r: 8, p: 1 });
const PASSWORD = 'correct horse battery staple';

async function setUp() {
  const stored = {
    id: 'u-ada',
    email: 'ada@example.com',
    role: 'customer',
    customer: { id: 'c-ada' },
    passwordHash: await hasher.hash(PASSWORD),
  } as unknown as User;
  const users = {
    findByEmail: jest.fn((email: string) =>
      Promise.resolve(email.toLowerCase() === stored.email ? stored : null),
    ),
    registerCustomer: jest.fn((input: Record<string, unknown>) =>
      Promise.resolve({ id: 'new', ...input } as unknown as User),
    ),
  };
  const tokens = {
    issue: jest.fn(() =>
      Promise.resolve({ accessToken: 'jwt', tokenType: 'Bearer' as const, expiresIn: 900 }),
    ),
  };
  const sessions = {
    start: jest.fn(() => Promise.resolve({ sessionId: 's-1', refreshToken: 'r'.repeat(43) })),
  };
  const verify = jest.spyOn(hasher, 'verify');
  verify.mockClear();
  const service = new CredentialsService(
    users as unknown as AccountsService,
    tokens as unknown as AccessTokens,
    hasher,
    sessions as unknown as SessionsService,
  );
  return { service, users, tokens, sessions, verify };
}

describe('CredentialsService', () => {
  it('starts a session and issues its tokens for the account’s actor when the password matches', async () => {
    const { service, tokens, sessions } = await setUp();
    await expect(service.login('Ada@Example.com', PASSWORD)).resolves.toMatchObject({
      accessToken: 'jwt',
      refreshToken: 'r'.repeat(43),
    });
    expect(sessions.start).toHaveBeenCalledWith('u-ada');
    expect(tokens.issue).toHaveBeenCalledWith({
      userId: 'u-ada',
      role: 'customer',
      customerId: 'c-ada',
      sessionId: 's-1',
    });
  });

  it('refuses a disabled account even with the right password, and starts no session', async () => {
    const { service, users, sessions } = await setUp();
    const disabled = { ...(await users.findByEmail('ada@example.com')), disabled: true } as User;
    users.findByEmail.mockResolvedValueOnce(disabled);
    await expect(service.login('ada@example.com', PASSWORD)).rejects.toBeInstanceOf(
      AccountDisabled,
    );
    expect(sessions.start).not.toHaveBeenCalled();
  });

  it('refuses a wrong password and an unknown email alike, after the same scrypt work', async () => {
    const { service, tokens, sessions, verify } = await setUp();
    await expect(service.login('ada@example.com', 'wrong password')).rejects.toBeInstanceOf(
      InvalidCredentials,
    );
    await expect(service.login('nobody@example.com', PASSWORD)).rejects.toBeInstanceOf(
      InvalidCredentials,
    );
    expect(verify).toHaveBeenCalledTimes(2);
    expect(tokens.issue).not.toHaveBeenCalled();
    expect(sessions.start).not.toHaveBeenCalled();
  });

  it('registers with a hash of the password, never the password itself', async () => {
    const { service, users } = await setUp();
    await service.register({ email: 'new@example.com', password: PASSWORD, name: 'New' });
    const input = users.registerCustomer.mock.calls[0][0];
    expect(input.passwordHash).not.toContain(PASSWORD);
    await expect(hasher.verify(PASSWORD, input.passwordHash as string)).resolves.toBe(true);
  });

  it('refuses a weak password before anything is stored', async () => {
    const { service, users } = await setUp();
    await expect(
      service.register({ email: 'new@example.com', password: 'short', name: 'New' }),
    ).rejects.toBeInstanceOf(WeakPassword);
    expect(users.registerCustomer).not.toHaveBeenCalled();
  });
});
