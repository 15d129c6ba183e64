import { InvalidEnvironment, validateVariables } from '../../config/validate-variables.js';
import { OrdersVariables } from './orders.config.js';

describe('the orders config slice', () => {
  it('applies the documented defaults', () => {
    expect(validateVariables(OrdersVariables, {})).toMatchObject({
      ORDER_CONFIRM_DELAY_MS: 2000,
      ORDER_EXPIRY_MS: 900_000,
    });
  });

  it('reads its variables from strings and ignores the others', () => {
    const slice = validateVariables(OrdersVariables, {
      ORDER_CONFIRM_DELAY_MS: '50',
      ORDER_EXPIRY_MS: '',
      PORT: '8080',
    });
    expect({ ...slice }).toEqual({ ORDER_CONFIRM_DELAY_MS: 50, ORDER_EXPIRY_MS: 900_000 });
  });

  it.each([
    ['ORDER_CONFIRM_DELAY_MS', '-1'],
    ['ORDER_CONFIRM_DELAY_MS', 'soon'],
    ['ORDER_EXPIRY_MS', '10'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const attempt = (): unknown => validateVariables(OrdersVariables, { [name]: value });
    expect(attempt).toThrow(InvalidEnvironment);
    expect(attempt).toThrow(name);
  });
});
