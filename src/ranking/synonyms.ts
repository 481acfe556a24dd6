/**
 * Acronyms people type as topics and the phrases papers spell out (and back): "RL" should find
 * "reinforcement learning" papers, and "mixture of experts" the "MoE" ones. Matched on whole,
 * lower-cased topics only; each side is tokenised like any topic.
 */
const PAIRS: [string, string][] = [
  ['rl', 'reinforcement learning'],
  ['marl', 'multi-agent reinforcement learning'],
  ['rlhf', 'reinforcement learning from human feedback'],
  ['dpo', 'direct preference optimization'],
  ['llm', 'large language model'],
  ['llms', 'large language models'],
  ['vlm', 'vision-language model'],
  ['vlms', 'vision-language models'],
  ['mllm', 'multimodal large language model'],
  ['vla', 'vision-language-action'],
  ['rag', 'retrieval-augmented generation'],
  ['moe', 'mixture of experts'],
  ['asr', 'speech recognition'],
  ['tts', 'text-to-speech'],
  ['nerf', 'neural radiance fields'],
  ['3dgs', 'gaussian splatting'],
  ['gnn', 'graph neural networks'],
  ['sae', 'sparse autoencoders'],
  ['cot', 'chain-of-thought'],
  ['nlp', 'natural language processing'],
  ['cv', 'computer vision'],
];

const ALTERNATIVES = new Map<string, string>();
for (const [short, long] of PAIRS) {
  ALTERNATIVES.set(short, long);
  ALTERNATIVES.set(long, short);
}

/** The other spelling of a topic, when there is a well-known one. */
export function alternativeOf(topic: string): string | undefined {
  return ALTERNATIVES.get(topic.trim().toLowerCase().replace(/\s+/g, ' '));
}
