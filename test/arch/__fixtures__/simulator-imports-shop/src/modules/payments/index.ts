export const PAYMENT_METHODS = ['card', 'paypal', 'crypto'];
