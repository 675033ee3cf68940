export const placeholder = 'address';
