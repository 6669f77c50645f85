/** Integer cents as the shopper reads them: `$12.50`. */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

const STATUS_TEXT: Record<string, string> = {
  PENDING: 'Placed',
  PAYMENT_PENDING: 'Payment pending',
  PAID: 'Paid',
  CANCELLED: 'Cancelled',
};

export function orderStatusText(status: string): string {
  return STATUS_TEXT[status] ?? status;
}
