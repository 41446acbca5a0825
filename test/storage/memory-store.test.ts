import { runStoreConformance } from 'clientele/testing';
import { MemoryStore } from '../../src/storage/memory-store.js';

runStoreConformance('MemoryStore', () => new MemoryStore());
