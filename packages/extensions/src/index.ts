export const placeholder = 'extensions';
