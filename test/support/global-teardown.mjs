export default async function globalTeardown() {
  await globalThis.keelTestDatabase?.drop();
}
