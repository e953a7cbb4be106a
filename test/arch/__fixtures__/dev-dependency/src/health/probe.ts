import request from 'supertest';

export const probe = (url: string) => request(url).get('/health/live');
