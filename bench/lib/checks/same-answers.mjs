// Before any load: the servers must give the same answers, or their speed means nothing.
import { isDeepStrictEqual } from 'node:util';
import { httpRequest, parseJson } from '../http.mjs';
import { log } from '../log.mjs';
import { AUTHORIZATION } from '../token.mjs';

const get = async (server, path, authorization = AUTHORIZATION) => {
  const response = await httpRequest(server.url + path, {
    headers: authorization ? { authorization } : {},
  });
  return { status: response.status, body: parseJson(response.text) };
};

/** Same JSON for the status and five customers; 404 for an unknown id; 401 without a token. */
export async function checkSameAnswers(servers, ids) {
  const [reference, ...others] = servers;
  for (const path of [
    '/api/v1/status',
    ...ids.slice(0, 5).map((id) => `/api/v1/customers/${id}`),
  ]) {
    const expected = await get(reference, path);
    if (expected.status !== 200) throw new Error(`${reference.name} ${path}: ${expected.status}`);
    for (const other of others) {
      const actual = await get(other, path);
      if (actual.status !== 200 || !isDeepStrictEqual(actual.body, expected.body)) {
        throw new Error(
          `${other.name} and ${reference.name} differ on ${path}:\n${JSON.stringify(actual)}\n${JSON.stringify(expected)}`,
        );
      }
    }
  }
  const missing = '/api/v1/customers/00000000-0000-4000-8000-000000000000';
  for (const server of servers) {
    const { status } = await get(server, missing);
    if (status !== 404) throw new Error(`${server.name} ${missing}: ${status}, expected 404`);
    const anonymous = await get(server, `/api/v1/customers/${ids[0]}`, '');
    if (anonymous.status !== 401)
      throw new Error(`${server.name} without a token: ${anonymous.status}, expected 401`);
  }
  log(
    `answers agree across ${servers.map((s) => s.key).join(', ')} (status, 5 customers, 404 for an unknown id, 401 without a token)`,
  );
}
