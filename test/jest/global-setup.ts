import { removeStaleRedirects } from '../support/kafka-mock';

/** Before any suite: no redirect rule of an earlier, crashed run may divert this run's connections. */
export default function globalSetup(): void {
  removeStaleRedirects();
}
