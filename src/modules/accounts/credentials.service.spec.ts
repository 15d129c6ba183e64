import { jest } from '@jest/globals';
import type { User } from './user.entity.js';
import type { AccountsService } from './accounts.service.js';
import type { AccessTokens } from '../../auth/access-tokens.js';
import { WeakPassword } from '../../auth/auth.errors.js';
import { InvalidCredentials } from './account.errors.js';
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
  const verify = jest.spyOn(hasher, 'verify');
  verify.mockClear();
  const service = new CredentialsService(
    users as unknown as AccountsService,
    tokens as unknown as AccessTokens,
    hasher,
  );
  return { service, users, tokens, verify };
}

describe('CredentialsService', () => {
  it('issues a token for the account’s actor when the password matches', async () => {
    const { service, tokens } = await setUp();
    await expect(service.login('Ada@Example.com', PASSWORD)).resolves.toMatchObject({
      accessToken: 'jwt',
    });
    expect(tokens.issue).toHaveBeenCalledWith({
      userId: 'u-ada',
      role: 'customer',
      customerId: 'c-ada',
    });
  });

  it('refuses a wrong password and an unknown email alike, after the same scrypt work', async () => {
    const { service, tokens, verify } = await setUp();
    await expect(service.login('ada@example.com', 'wrong password')).rejects.toBeInstanceOf(
      InvalidCredentials,
    );
    await expect(service.login('nobody@example.com', PASSWORD)).rejects.toBeInstanceOf(
      InvalidCredentials,
    );
    expect(verify).toHaveBeenCalledTimes(2);
    expect(tokens.issue).not.toHaveBeenCalled();
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
