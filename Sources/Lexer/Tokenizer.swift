public enum Tokenizer {}
