export interface FakeAiServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** `${url}/v1`, the value for OPENAI_BASE_URL */
  baseURL: string;
  /** chat completion requests answered so far */
  count(): number;
  requests(): Array<{ path: string; body: unknown }>;
  reset(): void;
  close(): Promise<void>;
}

export function startFakeAiServer(options?: { port?: number; reply?: string }): Promise<FakeAiServer>;
