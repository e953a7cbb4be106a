export async function startProviderSimulator(): Promise<{ url: string }> {
  return Promise.resolve({ url: 'http://127.0.0.1:4010' });
}
