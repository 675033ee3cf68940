export const placeholder = 'wire';
