import { startProviderSimulator } from '../../../simulators/providers';

export const cardProviderUrl = async (): Promise<string> => (await startProviderSimulator()).url;
