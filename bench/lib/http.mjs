// The bench's own requests (checks, /metrics) on a connection each, closed after the answer: a
// kept-alive connection would be counted among the established connections of the next row.
import { request } from 'node:http';

export function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 10_000 } = {}) {
  return new Promise((done, fail) => {
    const req = request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.once('end', () => done({ status: res.statusCode, headers: res.headers, text }));
    });
    req.once('error', fail);
    req.once('timeout', () =>
      req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs} ms`)),
    );
    req.end(body);
  });
}

export function parseJson(text) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
