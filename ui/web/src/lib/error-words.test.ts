import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { errorWords, statusWords } from './error-words.ts';

describe('a failed request in words', () => {
  it("says the kind of failure in Chinese and keeps the server's message in English", () => {
    const refused = new ApiError(403, 'no access to site "zhoushan-demo"');
    expect(errorWords('zh', refused)).toBe('无权进行此操作');
    expect(errorWords('en', refused)).toBe('You may not do this: no access to site "zhoushan-demo"');
    expect(errorWords('zh', new ApiError(502, 'Bad Gateway'))).toBe('服务器内部错误');
  });

  it('says the server was not reached for a network failure', () => {
    expect(errorWords('zh', new TypeError('Failed to fetch'))).toBe('无法连接服务器');
    expect(statusWords('en', 0, 'Failed to fetch')).toBe('Could not reach the server');
  });
});
