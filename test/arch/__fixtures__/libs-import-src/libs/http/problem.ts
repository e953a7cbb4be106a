import { apiPrefix } from '../../src/config/app-config';

export const problemTypeBase = `${apiPrefix}/problems`;
