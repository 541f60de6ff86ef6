/** AWS Lambda entry of the API function (behind a function URL / API Gateway). */
import { handle } from 'hono/aws-lambda';
import { loadApiConfig } from '../config.js';
import { createApp, createDeps } from './app.js';

export const handler = handle(createApp(createDeps(loadApiConfig())));
