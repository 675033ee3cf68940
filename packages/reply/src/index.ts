export const placeholder = 'reply';
