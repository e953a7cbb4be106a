import { newId } from 'test/arch/__fixtures__/path-alias/libs/persistence/ids';

export const probeId = newId();
