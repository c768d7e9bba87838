import { prisma } from './db';

// Never opened by the suite: its findings must come from "Analyze Workspace".
export async function ordersOfCustomers(customerIds: string[]) {
  const result = [];
  for (const customerId of customerIds) {
    result.push(await prisma.order.findFirst({ where: { customerId }, select: { id: true } }));
  }
  return result;
}
