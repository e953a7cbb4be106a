// @ts-expect-error -- the missing file is the violation this fixture exists for
import { defaults } from './defaults';

export const config: unknown = defaults;
