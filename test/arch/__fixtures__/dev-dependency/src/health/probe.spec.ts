import request from 'supertest';

export const probeInTest = (url: string) => request(url).get('/health/ready');
