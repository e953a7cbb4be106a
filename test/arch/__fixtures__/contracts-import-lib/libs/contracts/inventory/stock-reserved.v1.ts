import { newId } from '../../persistence/ids';

export const exampleOrderId = newId();
