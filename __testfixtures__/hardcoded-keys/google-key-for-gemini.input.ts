import { GoogleGenerativeAI } from '@google/generative-ai';

export const genAI = new GoogleGenerativeAI('AIzaSyFAKEkeyFORtestsONLY00000000000000');
