import { readFileSync } from 'node:fs';
import { lintDockerfile } from './support/dockerfile-lint.js';
import { imageExpectations } from './support/project.js';

describe('Dockerfile (linted offline: no Docker engine runs here)', () => {
  it('follows every rule: pinned Node base, npm ci, production-only runtime, non-root, exec-form start:prod, no secrets', () => {
    expect(lintDockerfile(readFileSync('Dockerfile', 'utf8'), imageExpectations())).toEqual([]);
  });

  it('names each usual mistake', () => {
    const careless = `FROM node:latest
ARG NPM_TOKEN
ENV JWT_SECRET=changeme
WORKDIR /app
ADD . .
COPY .env ./
RUN npm install && npm run build
CMD npm run start:prod
`;
    const problems = lintDockerfile(careless, { ...imageExpectations(), dockerignore: ['.git'] });
    const expected = [
      /needs a build stage and a runtime stage/,
      /FROM node:latest: pin the base to node:24\.\d+\.\d+-<debian>-slim/,
      /ARG NPM_TOKEN: secrets never go in the image/,
      /ENV JWT_SECRET: secrets never go in the image/,
      /ADD \. \.: use COPY/,
      /COPY \.env \.\/: \.env files never go in the image/,
      /RUN npm install .*: install with npm ci/,
      /runtime stage must install with npm ci --omit=dev/,
      /runtime stage must set NODE_ENV=production/,
      /numeric non-root USER/,
      /CMD must be in exec form/,
      /EXPOSE : Keel listens on 3000/,
      /\.dockerignore must start by ignoring everything/,
    ];
    for (const pattern of expected) expect(problems).toContainEqual(expect.stringMatching(pattern));
  });

  it('refuses a runtime stage that drifts from the build: root user, another command, extra files', () => {
    const drifted = readFileSync('Dockerfile', 'utf8')
      .replace(/USER 1000:1000/, 'USER node')
      .replace(/CMD \[.*\]/, 'CMD ["node", "--inspect", "dist/main.js"]')
      .replace(/COPY --from=build \/app\/dist \.\/dist/, 'COPY --from=build /app ./');
    const problems = lintDockerfile(drifted, {
      ...imageExpectations(),
      dockerignore: ['**', '!src/', '!.env'],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/numeric non-root USER/),
        expect.stringMatching(/differs from start:prod/),
        expect.stringMatching(/take only dist\/ from the build stage/),
        expect.stringMatching(/\.dockerignore lets \.env into the build context/),
        expect.stringMatching(/COPY package\.json: \.dockerignore leaves it out/),
      ]),
    );
  });
});
