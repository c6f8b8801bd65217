import type { PageContext } from '../../lib/page.tsx';

/**
 * The actions customer service can take on one customer, shown on the customer's back-office
 * page (`customers.backoffice.views.tsx`): each is a form posting to its own route.
 */
export function CustomerActions(_props: { ctx: PageContext; customer: { id: string; number: string } }) {
  return null;
}
