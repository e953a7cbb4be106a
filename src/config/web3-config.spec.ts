import { ConfigError, loadConfig } from './app-config';
import { web3Of } from './web3-config';

/** The problems loadConfig stops the start with. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe(web3Of.name, () => {
  it('enables no chain by default, and calls an endpoint with a 10 s timeout and a breaker that opens after 5 failures', () => {
    expect(loadConfig({}).web3).toEqual({ chains: [], rpc: { rpcTimeoutMs: 10_000, breakerFailures: 5, breakerResetMs: 30_000 } });
  });

  it('enables the chains WEB3_CHAINS lists, and tunes their endpoints by WEB3_RPC_*', () => {
    const config = loadConfig({
      WEB3_CHAINS: '[{"id": 8453, "rpcUrl": "https://base.example"}, {"id": 31337, "rpcUrl": "http://127.0.0.1:8545"}]',
      WEB3_RPC_TIMEOUT_MS: '2500',
      WEB3_RPC_BREAKER_FAILURES: '3',
      WEB3_RPC_BREAKER_RESET_MS: '1000',
    }).web3;

    expect(config.chains.map(({ id, name, confirmations }) => ({ id, name, confirmations }))).toEqual([
      { id: 8453, name: 'Base', confirmations: 10 },
      { id: 31337, name: 'Local development chain', confirmations: 1 },
    ]);
    expect(config.rpc).toEqual({ rpcTimeoutMs: 2500, breakerFailures: 3, breakerResetMs: 1000 });
  });

  it.each([
    [{ WEB3_CHAINS: '8453' }, 'WEB3_CHAINS must be a JSON array'],
    [{ WEB3_CHAINS: '[{"id": 8453, "rpcUrl": "base.example"}]' }, 'WEB3_CHAINS[0].rpcUrl'],
    [{ WEB3_RPC_TIMEOUT_MS: '50' }, 'WEB3_RPC_TIMEOUT_MS'],
    [{ WEB3_RPC_BREAKER_FAILURES: '0' }, 'WEB3_RPC_BREAKER_FAILURES'],
    [{ WEB3_RPC_BREAKER_RESET_MS: 'soon' }, 'WEB3_RPC_BREAKER_RESET_MS'],
  ])('refuses %j, naming %s', (env, name) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(name)]);
  });
});
